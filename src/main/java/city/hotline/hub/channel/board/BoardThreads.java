package city.hotline.hub.channel.board;

import java.util.LinkedHashMap;
import java.util.Map;

import city.hotline.hub.intake.PolledPage;
import city.hotline.hub.store.BoardThreadStore;
import city.hotline.hub.store.TicketStore;
import city.hotline.hub.ticket.Hashing;
import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.PlainText;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the board's own view of each thread (state, answering organisation, official reply):
 * threads still open are re-checked by the poller, and each new view is written once to the
 * ticket's history as a {@code BOARD_STATE} / {@code BOARD_REPLY} event. The board's reply is
 * only recorded: it creates no status update, so nothing is relayed back to the board.
 */
@Component
public class BoardThreads implements city.hotline.hub.channel.generic.PolledItemTracker {

    private static final Logger LOG = LoggerFactory.getLogger(BoardThreads.class);

    private final BoardThreadStore store;
    private final TicketStore tickets;
    private final TransactionTemplate tx;
    private final BoardProperties props;

    public BoardThreads(BoardThreadStore store, TicketStore tickets, TransactionTemplate tx, BoardProperties props) {
        this.store = store;
        this.tickets = tickets;
        this.tx = tx;
        this.props = props;
    }

    public void track(String source, PolledPage.Item item, String payload) {
        JsonNode thread = Json.read(payload);
        String state = text(thread, "stateInfo");
        String answer = text(thread, "answerContent");
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("stateInfo", state);
        view.put("answerOrganization", text(thread, "answerOrganization"));
        view.put("answerContent", answer == null ? null : PlainText.sanitise(answer));
        String json = Json.write(view);
        store.upsert(source, item.id(), item.itemId(), isOpen(state, answer), json, Hashing.sha256Hex(json));
    }

    public java.util.Set<Long> openThreads(String source) {
        return store.open(source);
    }

    // ---- as the poll kinds' tracker (tracker: boardThreads)

    @Override
    public void accepted(String source, PolledPage.Item item, String payload) {
        track(source, item, payload);
    }

    @Override
    public java.util.Set<Long> open(String source) {
        return openThreads(source);
    }

    @Override
    public void afterPoll() {
        recordNewViews();
    }

    boolean isOpen(String state, String answer) {
        if (state == null || state.isBlank()) {
            return answer == null || answer.isBlank();
        }
        return props.openStates().contains(state.strip());
    }

    /** Writes new board views to the history of tickets that exist by now. */
    public int recordNewViews() {
        int n = 0;
        for (BoardThreadStore.Unrecorded u : store.unrecorded(100)) {
            Boolean done = tx.execute(s -> {
                if (!store.markRecorded(u.source(), u.tid(), u.viewSha256())) {
                    return false;
                }
                JsonNode view = Json.read(u.view());
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("channel", "board");
                detail.put("channelItemId", u.channelItemId());
                view.fields().forEachRemaining(f -> {
                    if (!f.getValue().isNull()) {
                        detail.put(f.getKey(), f.getValue().asText());
                    }
                });
                boolean reply = view.hasNonNull("answerContent") && !view.get("answerContent").asText().isBlank();
                tickets.addEvent(u.ticketId(), reply ? "BOARD_REPLY" : "BOARD_STATE", detail);
                return true;
            });
            if (Boolean.TRUE.equals(done)) {
                n++;
                LOG.info("Board view of thread {} recorded on ticket {}", u.channelItemId(), u.ticketId());
            }
        }
        return n;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}
