package city.hotline.hub.intake;

import city.hotline.hub.store.QuarantineStore;

/**
 * Implemented by a channel connector whose raw items can be quarantined before they reach the
 * inbox (stage INTAKE): a replay hands the raw text back to the channel's own parser.
 */
public interface RawItemReplayer {

    /** The channel this replayer parses for, e.g. {@code "weibo"}. */
    String channel();

    /**
     * Parses the raw item again and stores it in the inbox.
     *
     * @throws IllegalArgumentException with the reason when it is still not readable
     */
    void replay(QuarantineStore.Item item);
}
