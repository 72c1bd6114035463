package city.hotline.hub.intake;

/** A polled source read page by page from the newest item down. */
@FunctionalInterface
public interface PagedSource {

    /**
     * @param resume null for the newest page, else the {@link PolledPage#next()} of the page before
     */
    PolledPage fetch(String resume) throws PollFailure;
}
