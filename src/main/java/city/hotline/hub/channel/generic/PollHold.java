package city.hotline.hub.channel.generic;

/**
 * A hold on a whole channel's polling, for every instance (e.g. Weibo waiting for a person to authorise it
 * again). Named by the poll kinds' {@code hold} property: while held no source is polled; a source whose poll
 * needs re-authorisation (intake/PollFailure REAUTHORISE) sets it.
 */
public interface PollHold {

    boolean held();

    void reauthorisationNeeded(String reason);
}
