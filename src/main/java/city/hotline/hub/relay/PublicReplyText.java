package city.hotline.hub.relay;

import java.util.function.Function;

import city.hotline.hub.store.TicketStore;
import city.hotline.hub.ticket.PiiMask;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The reply text for channels that publish it (Weibo comments, message-board replies): phone and
 * identity-card numbers masked ({@link PiiMask}), and the citizen's name (the ticket's
 * {@code requester.name}) cut to its first character. Everything else, the handling unit
 * included, stays as the case system wrote it. Private channels (callback, WeChat, SMS) do not
 * use this: the citizen gets the full text there.
 */
@Component
public class PublicReplyText {

    /** ticket id -> the citizen's name, or null */
    private final Function<String, String> names;

    @Autowired
    public PublicReplyText(TicketStore tickets) {
        this(ticketId -> tickets.find(ticketId)
                .map(t -> t.path("requester").path("name"))
                .filter(JsonNode::isTextual).map(JsonNode::asText).map(String::strip).orElse(null));
    }

    public PublicReplyText(Function<String, String> names) {
        this.names = names;
    }

    public String mask(String text, String ticketId) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String name = ticketId == null ? null : names.apply(ticketId);
        return maskWithName(text, name);
    }

    /** Masks numbers, and the name when it has at least two characters (one character would mask too much). */
    public static String maskWithName(String text, String name) {
        String s = PiiMask.mask(text);
        if (name != null && name.codePointCount(0, name.length()) >= 2 && s != null) {
            int first = name.offsetByCodePoints(0, 1);
            s = s.replace(name, name.substring(0, first) + "*".repeat(name.codePointCount(first, name.length())));
        }
        return s;
    }
}
