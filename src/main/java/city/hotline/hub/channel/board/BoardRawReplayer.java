package city.hotline.hub.channel.board;

import city.hotline.hub.intake.PolledIntake;
import city.hotline.hub.intake.RawItemReplayer;
import city.hotline.hub.store.QuarantineStore;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

/**
 * Replays a board thread the poller quarantined (stage INTAKE): the raw thread JSON is checked
 * again and, when readable now, stored in the inbox like a polled thread.
 */
@Component
public class BoardRawReplayer implements RawItemReplayer {

    private final PolledIntake intake;

    public BoardRawReplayer(PolledIntake intake) {
        this.intake = intake;
    }

    @Override
    public String channel() {
        return BoardBindings.CHANNEL;
    }

    @Override
    public void replay(QuarantineStore.Item item) {
        String source = item.reason().contains(": ") ? item.reason().substring(0, item.reason().indexOf(": ")) : "replay";
        if (source.startsWith("html:")) {
            throw new IllegalArgumentException("a scraped list entry is read again by the next poll of " + source
                    + " once the board or its selectors are fixed");
        }
        JsonNode thread;
        try {
            thread = Json.read(item.payload());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        String problem = BoardApiPages.problem(thread);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        ObjectNode copy = ((ObjectNode) thread).deepCopy();
        if (!copy.hasNonNull("fid") && source.startsWith("fid:")) {
            copy.put("fid", source.substring(4));
        }
        intake.accept(channel(), source, String.valueOf(copy.get("tid").asLong()), Json.write(copy));
    }
}
