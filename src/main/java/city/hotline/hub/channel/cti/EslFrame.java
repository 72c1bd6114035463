package city.hotline.hub.channel.cti;

import java.util.Map;

/**
 * One frame of FreeSWITCH's event socket (mod_event_socket): header lines up to a blank line, then,
 * when the headers carry {@code Content-Length}, that many bytes of body (an event in
 * {@code text/event-plain} or {@code text/event-json}, a command reply's text, a disconnect notice).
 */
public record EslFrame(Map<String, String> headers, String body) {

    public String contentType() {
        return headers.getOrDefault("Content-Type", "");
    }

    public String replyText() {
        return headers.getOrDefault("Reply-Text", "");
    }
}
