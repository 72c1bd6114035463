package city.hotline.hub.channel.cti;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import city.hotline.hub.console.ApiErrors;
import city.hotline.hub.intake.JsonGuard;
import city.hotline.hub.store.InboxStore;
import city.hotline.hub.store.QuarantineStore;
import city.hotline.hub.store.ReplayGuardStore;
import city.hotline.hub.ticket.HttpProblem;
import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.TransientFailure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The phone channel's intake (routes/cti.yaml), after {@link CtiPushVerifier} has verified the push:
 * recognises the vendor's format and names its mapping, and stores what the mapping made of it, in the
 * transaction that also records the webhook id, before the CTI gets its answer:
 * <ul>
 *   <li>a call part (CDR, recording, satisfaction) in {@code cti_call_part}, joined onto the ticket
 *       later by {@link CtiJoin}; an abandoned call (no agent answered) is counted, never ticketed;</li>
 *   <li>the agent's work order in the inbox (channel {@code cti}, item = call id), like every channel.</li>
 * </ul>
 * A verified push that cannot be read (not JSON, no call id, an unknown shape, a mapping failure) is
 * quarantined with its reason and answered 400; a failed verification is answered 401 and nothing is stored.
 */
@Component("ctiIntake")
public class CtiIntake {

    public static final String CHANNEL = "cti";
    /** Exchange properties: the push passed verification; its webhook id (signed pushes only); the raw body. */
    static final String VERIFIED = "ctiVerified";
    static final String WEBHOOK_ID = "ctiWebhookId";
    static final String RAW = "ctiRaw";
    static final String MAPPING = "ctiMapping";
    private static final Duration WEBHOOK_ID_KEPT = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(CtiIntake.class);

    private final CtiProperties props;
    private final CtiCallPartStore parts;
    private final InboxStore inbox;
    private final QuarantineStore quarantine;
    private final ReplayGuardStore seen;
    private final TransactionTemplate tx;
    private final MeterRegistry meters;
    private final ApiErrors apiErrors;

    public CtiIntake(CtiProperties props, CtiCallPartStore parts, InboxStore inbox, QuarantineStore quarantine, ReplayGuardStore seen,
                     TransactionTemplate tx, MeterRegistry meters, ApiErrors apiErrors) {
        this.props = props;
        this.parts = parts;
        this.inbox = inbox;
        this.quarantine = quarantine;
        this.seen = seen;
        this.tx = tx;
        this.meters = meters;
        this.apiErrors = apiErrors;
    }

    /** Recognises the vendor format of a verified call event and names the mapping that normalises it. */
    public void readEvent(Exchange exchange) {
        JsonNode json = parse(exchange.getMessage().getBody(String.class));
        String action = exchange.getProperty("ctiAction", String.class);
        String mapping;
        if ("cdr".equals(action) || action == null && json.has("SessionId") && json.has("StartTimestamp")) {
            mapping = "cti-tencent-cdr.jsonata";
        } else if ("record".equals(action) || action == null && json.has("SessionId") && json.has("RecordURL")) {
            mapping = "cti-tencent-record.jsonata";
        } else if ("followup".equals(action)) {
            mapping = "cti-followup.jsonata";
        } else if ("NewCdr".equals(json.path("event").asText())) {
            mapping = "cti-yeastar-newcdr.jsonata";
        } else if ("30012".equals(json.path("type").asText()) && json.path("msg").isTextual()) {
            mapping = "cti-yeastar-p.jsonata";
        } else {
            throw new Unreadable("not a CTI push this hub reads (Tencent CCC action=cdr/record, Yeastar NewCdr, Yeastar P-series 30012,"
                    + " follow-up result); action=" + action + ", fields " + fieldNames(json));
        }
        exchange.setProperty(MAPPING, mapping);
    }

    /** What the vendor mapping made of the push: one normalised part, stored with the webhook id. */
    public void storePart(Exchange exchange) {
        store(exchange);
        answer(exchange, 200, Map.of("ErrCode", 0, "ErrMsg", ""));
    }

    /** The same for an event from FreeSWITCH's event socket: nothing is written back to the socket. */
    public void storeSocketPart(Exchange exchange) {
        store(exchange);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
    }

    /**
     * From cti-socket-errors: an event that cannot be read is quarantined with its reason. The socket
     * has no answer to give; an event lost while the database is away is logged (the CTI's HTTP CDR
     * push is the delivery that is retried).
     */
    public void onSocketException(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e instanceof DataAccessException) {
            LOG.error("FreeSWITCH event not stored, the database is away: {}", e.toString());
        } else {
            String mapping = exchange.getProperty(MAPPING, String.class);
            String reason = e instanceof Unreadable || mapping == null ? e.getMessage() : "the " + mapping + " mapping failed: " + e;
            ObjectNode item = Json.object();
            item.put("source", "freeswitch");
            item.put("contentType", exchange.getProperty("eslContentType", String.class));
            item.put("body", String.valueOf(exchange.getProperty(RAW, String.class)));
            long id = quarantine.add(CHANNEL, QuarantineStore.Stage.INTAKE, null, null, "FreeSWITCH event: " + reason, Json.write(item));
            LOG.warn("Unreadable FreeSWITCH event quarantined as {}: {}", id, reason);
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
    }

    private void store(Exchange exchange) {
        ObjectNode part = parseObject(exchange.getMessage().getBody(String.class), "the mapping's output");
        String callId = part.path("callId").asText("").strip();
        String kind = part.path("kind").asText("");
        if (callId.isEmpty()) {
            throw new Unreadable("the push names no call id (SessionId / callid / call_id)");
        }
        if (!List.of("CDR", "RECORDING", "SATISFACTION").contains(kind)) {
            throw new Unreadable("the mapping produced no part kind (CDR, RECORDING, SATISFACTION)");
        }
        part.put("callId", callId);
        if (part.has("caller") || "CDR".equals(kind)) {
            part.put("callerNumber", CallerNumbers.normalise(part.path("caller").isValueNode() ? part.path("caller").asText(null) : null));
        }
        if (part.has("callee")) {
            part.put("calledNumber", part.path("callee").asText());
        }
        part.remove("caller");
        part.remove("callee");
        String level = Satisfaction.level(text(part, "satisfactionKey"), text(part, "satisfactionLabel"));
        part.remove("satisfactionKey");
        part.remove("satisfactionLabel");
        if (level != null) {
            part.put("satisfaction", level);
        } else if ("SATISFACTION".equals(kind)) {
            throw new Unreadable("the follow-up result names none of the five satisfaction levels (key 1-5 or 非常满意 … 非常不满意)");
        }
        boolean abandoned = "CDR".equals(kind) && part.path("answered").isBoolean() && !part.get("answered").asBoolean();
        part.remove("answered");
        JsonGuard.check(part);
        String vendor = part.path("vendor").asText("unknown");
        CtiCallPartStore.Part p = new CtiCallPartStore.Part(callId, kind, vendor, Json.write(part));
        String webhookId = exchange.getProperty(WEBHOOK_ID, String.class);
        Boolean stored = tx.execute(s -> {
            if (webhookId != null && !seen.firstWebhookId(webhookId, WEBHOOK_ID_KEPT)) {
                return null;
            }
            return parts.add(p, abandoned ? CtiCallPartStore.State.ABANDONED : CtiCallPartStore.State.PENDING);
        });
        String outcome = stored == null ? "repeated-webhook-id" : !stored ? "repeat" : abandoned ? "abandoned" : "stored";
        meters.counter("hub.cti.parts", "kind", kind, "outcome", outcome).increment();
        if (abandoned && Boolean.TRUE.equals(stored)) {
            // counted once per call however often the CTI repeats the CDR; never ticketed
            meters.counter("hub.cti.calls.abandoned").increment();
        }
        LOG.info("CTI {} {} of call {} from {}: {}", vendor, kind, callId, CallerNumbers.mask(part.path("callerNumber").asText(null)),
                outcome);
    }

    /** The agent's work order {callId, requester{name, phone}, requestType, title, content, address, category}. */
    public void acceptWorkOrder(Exchange exchange) {
        ObjectNode order = parseObject(exchange.getMessage().getBody(String.class), "the work order");
        String callId = order.path("callId").asText("").strip();
        if (callId.isEmpty() || !order.path("callId").isValueNode()) {
            throw new Unreadable("the work order has no callId");
        }
        if (!order.path("content").isTextual() || order.path("content").asText().isBlank()) {
            throw new Unreadable("the work order has no content");
        }
        order.put("callId", callId);
        JsonNode requester = order.get("requester");
        if (requester instanceof ObjectNode r && r.has("phone")) {
            String phone = CallerNumbers.normalise(r.path("phone").asText(null));
            if (CallerNumbers.UNKNOWN.equals(phone)) {
                // a withheld number stays unknown; the call record may still bring it
                r.remove("phone");
            } else {
                r.put("phone", phone);
            }
        }
        JsonGuard.check(order);
        String webhookId = exchange.getProperty(WEBHOOK_ID, String.class);
        InboxStore.Receipt receipt = tx.execute(s -> {
            if (webhookId != null && !seen.firstWebhookId(webhookId, WEBHOOK_ID_KEPT)) {
                return null;
            }
            return inbox.accept(CHANNEL, callId, Json.write(order));
        });
        if (receipt == null) {
            meters.counter("hub.cti.work-orders", "outcome", "repeated-webhook-id").increment();
            LOG.info("CTI work order of call {}: webhook id seen before, nothing stored", callId);
            answer(exchange, 202, Map.of("duplicate", true));
            return;
        }
        meters.counter("hub.cti.work-orders", "outcome", receipt.duplicate() ? "duplicate" : "accepted").increment();
        LOG.info("CTI work order of call {} stored as receipt {}{}", callId, receipt.receiptId(), receipt.duplicate() ? " (repeat)" : "");
        answer(exchange, 202, Map.of("receiptId", receipt.receiptId().toString(), "duplicate", receipt.duplicate()));
    }

    /**
     * From the cti routes' error handler (routes/error-handling.yaml, cti-intake-errors): a verified push
     * that cannot be read is quarantined with its reason and answered 400; a refused verification (401),
     * or the database being away (503), stores nothing.
     */
    public void onException(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        boolean verified = Boolean.TRUE.equals(exchange.getProperty(VERIFIED, Boolean.class));
        boolean infrastructure = e instanceof DataAccessException || e instanceof TransientFailure;
        boolean refusedVerification = e instanceof HttpProblem p && p.status() == 401;
        if (verified && !infrastructure && !refusedVerification) {
            String reason = e instanceof HttpProblem || e instanceof Unreadable ? e.getMessage()
                    : "the " + exchange.getProperty(MAPPING, "CTI", String.class) + " mapping failed: " + e.getMessage();
            String raw = exchange.getProperty(RAW, String.class);
            ObjectNode item = Json.object();
            item.put("path", exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class));
            item.put("action", exchange.getProperty("ctiAction", String.class));
            item.put("body", raw == null ? "" : raw);
            try {
                long id = quarantine.add(CHANNEL, QuarantineStore.Stage.INTAKE, null, null, reason, Json.write(item));
                meters.counter("hub.cti.parts", "kind", "unknown", "outcome", "quarantined").increment();
                LOG.warn("Unreadable CTI push quarantined as {}: {}", id, reason);
                exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new HttpProblem(400, reason + " (quarantined as " + id + ")"));
            } catch (DataAccessException storage) {
                exchange.setProperty(Exchange.EXCEPTION_CAUGHT, storage);
            }
        }
        apiErrors.toResponse(exchange);
    }

    /** A verified push the hub cannot read: bad data, quarantined. */
    static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new Unreadable("empty body; expected a JSON object");
        }
        try {
            return Json.read(body);
        } catch (IllegalArgumentException e) {
            throw new Unreadable(e.getMessage());
        }
    }

    private static ObjectNode parseObject(String body, String what) {
        JsonNode node = parse(body);
        if (!(node instanceof ObjectNode o)) {
            throw new Unreadable(what + " is not a JSON object");
        }
        return o;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    private static String fieldNames(JsonNode json) {
        List<String> names = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names.size() > 10 ? names.subList(0, 10) + "…" : names.toString();
    }

    private static void answer(Exchange exchange, int status, Map<String, Object> body) {
        Message msg = exchange.getMessage();
        msg.removeHeaders("*");
        msg.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        msg.setHeader(Exchange.CONTENT_TYPE, "application/json");
        msg.setBody(Json.write(body));
    }
}
