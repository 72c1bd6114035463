package city.hotline.hub.channel.national;

import java.util.Map;

import city.hotline.hub.intake.PollFailure;
import city.hotline.hub.intake.PollGuard;
import city.hotline.hub.intake.PolledIntake;
import city.hotline.hub.store.PollCursorStore;
import city.hotline.hub.ticket.Forms;
import city.hotline.hub.ticket.HubProperties;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One poll of the national platform's assigned cases, called by the route {@code national-poll}
 * (leader-only, like every {@code *-poll} route): {@code GET {base}/cases?since=<cursor>}, page after
 * page while the platform hands out a new {@code nextCursor}, at most {@code max-pages-per-run} a poll.
 *
 * <p>The cursor is opaque and moves forward (a change feed), unlike the boards' and Weibo's ids that
 * are read newest first down to a watermark; so this poller does not use {@code CursorRun}, but the
 * same pieces under it: the cursor is kept in {@code poll_cursor.run_resume} and saved only after
 * every case of its page is committed to the inbox (a crash re-reads the page; the inbox takes an
 * identical case once), failures back off through {@link PollGuard}, unreadable cases are
 * quarantined through {@link PolledIntake#reject} and their neighbours go on.
 *
 * <p>The case is stored as {@code {"case": <the platform's case, verbatim>, "hub": {"defaultWorkingDays": n}}};
 * the mapping {@code mappings/national-ticket.jsonata} reads the platform's field names, so a province
 * with other names changes the mapping (and {@code hub.intake.channels.national.item-id-field}) only.
 */
@Component("nationalPoller")
public class NationalPoller {

    private static final Logger LOG = LoggerFactory.getLogger(NationalPoller.class);
    public static final String CHANNEL = NationalCaseStore.CHANNEL;
    public static final String SOURCE = "cases";
    /** Item ids longer than the ticket schema allows for channelItemId are not case numbers. */
    private static final int MAX_ID_CHARS = 200;

    private final NationalProperties props;
    private final PollGuard guard;
    private final PollCursorStore cursors;
    private final PolledIntake intake;
    private final NationalCaseStore cases;
    private final ProducerTemplate camel;
    private final String idField;

    public NationalPoller(NationalProperties props, PollGuard guard, PollCursorStore cursors, PolledIntake intake,
                          NationalCaseStore cases, ProducerTemplate camel, HubProperties hub) {
        this.props = props;
        this.guard = guard;
        this.cursors = cursors;
        this.intake = intake;
        this.cases = cases;
        this.camel = camel;
        HubProperties.IntakeChannel config = hub.intake().channels().get(CHANNEL);
        this.idField = config == null || config.itemIdField() == null ? "caseNo" : config.itemIdField();
    }

    public void poll() {
        guard.poll(CHANNEL, SOURCE, props.backoff(), this::run);
    }

    private void run() throws PollFailure {
        String cursor = cursors.get(CHANNEL, SOURCE).runResume();
        for (int pages = 0; pages < props.maxPagesPerRun(); pages++) {
            JsonNode page = fetch(cursor);
            JsonNode list = page.get("cases");
            for (JsonNode c : list) {
                take(c);
            }
            String next = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
            boolean moved = next != null && !next.isEmpty() && !next.equals(cursor);
            if (moved) {
                // only now: every case of this page is committed to the inbox
                cursors.saveProgress(CHANNEL, SOURCE, null, next);
                cursor = next;
            }
            if (!moved || list.isEmpty()) {
                break;
            }
        }
        cursors.succeeded(CHANNEL, SOURCE);
    }

    private void take(JsonNode c) {
        String problem = problem(c);
        if (problem != null) {
            intake.reject(CHANNEL, SOURCE, problem, Json.write(c));
            return;
        }
        store(caseNo(c), c);
    }

    String idField() {
        return idField;
    }

    /** Why the poller cannot take this case in (no usable case number), or null. */
    String problem(JsonNode c) {
        String caseNo = caseNo(c);
        if (caseNo == null || caseNo.isEmpty()) {
            return "case without " + idField;
        }
        return caseNo.length() > MAX_ID_CHARS ? idField + " longer than " + MAX_ID_CHARS + " characters" : null;
    }

    private String caseNo(JsonNode c) {
        JsonNode id = c.isObject() ? c.get(idField) : null;
        return id == null || !id.isValueNode() || id.isNull() ? null : id.asText().strip();
    }

    /** Stores a readable case in the inbox; from then on its receipt is owed. */
    void store(String caseNo, JsonNode c) {
        ObjectNode payload = Json.object();
        payload.set("case", c);
        payload.putObject("hub").put("defaultWorkingDays", props.defaultWorkingDays());
        intake.accept(CHANNEL, SOURCE, caseNo, Json.write(payload));
        cases.seen(caseNo);
    }

    private JsonNode fetch(String cursor) throws PollFailure {
        Exchange answer = camel.send("direct:national-call", ex -> {
            ex.setProperty(NationalRoutes.METHOD, "GET");
            ex.setProperty(NationalRoutes.PATH, "/cases");
            if (cursor != null) {
                ex.setProperty(NationalRoutes.QUERY, Forms.encode(Map.of("since", cursor)));
            }
            ex.getMessage().setBody(null);
        });
        if (answer.getException() != null) {
            throw PollFailure.backOff("GET /cases failed: " + answer.getException().getMessage());
        }
        switch (NationalResponses.kind(NationalResponses.status(answer))) {
            case OK -> {
                return readPage(NationalResponses.body(answer));
            }
            case SIGNATURE_REFUSED -> {
                String problem = NationalResponses.describe("GET /cases", answer);
                LOG.error("{}; check hub.channels.national.app-key / app-secret and this host's clock. Polling backs off.", problem);
                throw PollFailure.backOff(problem);
            }
            default -> throw PollFailure.backOff(NationalResponses.describe("GET /cases", answer));
        }
    }

    /** A page that is not {@code {"cases": [...], "nextCursor": ...}} is quarantined (once) and the poll backs off. */
    private JsonNode readPage(String body) throws PollFailure {
        JsonNode page;
        try {
            page = Json.read(body);
        } catch (RuntimeException e) {
            page = null;
        }
        if (page == null || !page.isObject() || !page.path("cases").isArray()) {
            intake.reject(CHANNEL, SOURCE, "malformed page: not {\"cases\": [...], \"nextCursor\": ...}", body);
            throw PollFailure.backOff("malformed page from GET /cases (quarantined)");
        }
        return page;
    }
}
