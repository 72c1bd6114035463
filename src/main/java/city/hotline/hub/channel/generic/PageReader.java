package city.hotline.hub.channel.generic;

import city.hotline.hub.intake.PollFailure;
import city.hotline.hub.intake.PolledPage;

/**
 * Reads one answer of a polled JSON API into a page, for an API whose answers need more than the
 * {@code http-poll} kind's JSONata properties (an envelope with its own error codes, field checks). A bean
 * of this type is named by the kind's {@code reader} property; the built-in board names
 * {@code boardApiReader} (channel/board/BoardApiReader).
 */
public interface PageReader {

    /**
     * @param source the source value the page was asked for (e.g. the board's forum id)
     * @param status the HTTP status of the answer
     * @param body   the answer's text (decoded with its charset), may be null
     * @return the page, newest first; {@link PolledPage#next()} is where the next (older) page starts
     * @throws PollFailure when the answer is no usable page (the source backs off, or pauses)
     */
    PolledPage read(String source, int status, String body) throws PollFailure;
}
