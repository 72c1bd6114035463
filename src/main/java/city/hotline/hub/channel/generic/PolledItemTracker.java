package city.hotline.hub.channel.generic;

import java.util.Set;

import city.hotline.hub.intake.PolledPage;

/**
 * Keeps which polled items are still open at their source (a board thread not answered yet), so that the
 * poll kinds read them again every {@code recheckInterval}: a changed item becomes a new version of the same
 * inbox item. A bean of this type is named by the kinds' {@code tracker} property; the built-in board
 * names {@code boardThreads} (its states, {@code hub.channels.board.open-states}, and the ticket history it
 * writes).
 */
public interface PolledItemTracker {

    /** An item (or a new version of it) is in the inbox. */
    void accepted(String source, PolledPage.Item item, String payload);

    /** The source's items still open, by their ordered id. */
    Set<Long> open(String source);

    /** After each tick of the channel's poller (e.g. write what changed to the tickets). */
    default void afterPoll() {
    }
}
