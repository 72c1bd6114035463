package city.hotline.hub.channel.generic;

import city.hotline.hub.intake.PollFailure;
import city.hotline.hub.intake.PolledPage;

/**
 * Reads one answer of a polled JSON API into a page, for an API whose answers need more than the
 * {@code http-poll} kind's JSONata properties (an envelope with its own error codes, field checks). A bean
 * of this type is named by the kind's {@code reader} property: the built-in board's is {@code boardApiReader},
 * Weibo's {@code weiboPageReader}.
 */
public interface PageReader {

    /**
     * What was asked for.
     *
     * @param source    the source value (e.g. the board's forum id), empty without {@code sources}
     * @param sourceKey the source's poll_cursor row
     * @param watermark the source's watermark while the page was read (null on its first run)
     * @param cursor    where the page starts (null: the newest page)
     */
    record Request(String channel, String source, String sourceKey, Long watermark, String cursor) {
    }

    /**
     * @return the page, newest first; {@link PolledPage#next()} is where the next (older) page starts
     * @throws PollFailure when the answer is no usable page (the source backs off, pauses, or waits for re-authorisation)
     */
    PolledPage read(Request request, int status, String body) throws PollFailure;
}
