package city.hotline.hub.ticket;

/** Bad data or a refusal that retrying cannot fix: quarantine (or mark FAILED), never loop. */
public class PermanentFailure extends RuntimeException {
    public PermanentFailure(String message) {
        super(message);
    }
}
