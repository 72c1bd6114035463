package city.hotline.hub.ticket;

/** A request the hub refuses, with the HTTP status and a message that names the problem. */
public class HttpProblem extends RuntimeException {
    private final int status;

    public HttpProblem(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
