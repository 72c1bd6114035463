package city.hotline.hub.ticket;

/** A failure of the other side (5xx, throttling) that a later attempt may not meet. */
public class TransientFailure extends RuntimeException {
    public TransientFailure(String message) {
        super(message);
    }
}
