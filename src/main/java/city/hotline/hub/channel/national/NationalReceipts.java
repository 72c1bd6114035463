package city.hotline.hub.channel.national;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import city.hotline.hub.store.claim.ClaimLost;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Signs for receipt of a case once its ticket exists: {@code POST {base}/cases/{caseNo}/receipt}
 * {@code {"receivedAt", "ticketId"}}, from the claimed {@code national_case} row (route
 * {@code national-receipt}). 2xx signed; 401/403 (signature refused), 408, 429, 5xx, timeouts and
 * connection errors retried with a growing delay ({@code hub.channels.national.receipt-retry}); any
 * other 4xx FAILED with the platform's answer. Late or failed receipts show in the health.
 */
@Component("nationalReceipts")
public class NationalReceipts {

    private static final Logger LOG = LoggerFactory.getLogger(NationalReceipts.class);

    private final NationalCaseStore cases;
    private final NationalProperties props;

    public NationalReceipts(NationalCaseStore cases, NationalProperties props) {
        this.cases = cases;
        this.props = props;
    }

    public void prepare(Exchange exchange) {
        Message msg = exchange.getMessage();
        @SuppressWarnings("unchecked")
        Map<String, Object> row = msg.getBody(Map.class);
        String caseNo = (String) row.get("case_no");
        String ticketId = (String) row.get("ticket_id");
        MDC.put("ticketId", ticketId);
        exchange.setProperty("hubNationalCaseId", ((Number) row.get("id")).longValue());
        exchange.setProperty("hubClaimToken", row.get("claim_token"));
        exchange.setProperty("hubAttempts", ((Number) row.get("attempts")).intValue());
        exchange.setProperty("hubNationalCaseNo", caseNo);
        exchange.setProperty("hubTicketId", ticketId);
        exchange.setProperty(NationalRoutes.METHOD, "POST");
        exchange.setProperty(NationalRoutes.PATH, "/cases/" + NationalRoutes.caseSegment(caseNo) + "/receipt");
        Instant receivedAt = ((java.sql.Timestamp) row.get("first_seen_at")).toInstant().truncatedTo(ChronoUnit.SECONDS);
        ObjectNode body = Json.object();
        body.put("receivedAt", NationalRoutes.local(receivedAt));
        body.put("ticketId", ticketId);
        msg.setBody(Json.write(body));
    }

    public void onResponse(Exchange exchange) {
        int status = NationalResponses.status(exchange);
        String what = "the receipt of case " + exchange.getProperty("hubNationalCaseNo");
        switch (NationalResponses.kind(status)) {
            case OK -> {
                cases.receiptSent(id(exchange), token(exchange));
                LOG.info("Signed for receipt of national case {} (ticket {})", exchange.getProperty("hubNationalCaseNo"),
                        exchange.getProperty("hubTicketId"));
            }
            case SIGNATURE_REFUSED -> {
                String problem = NationalResponses.describe(what, exchange);
                LOG.error("{}; check hub.channels.national.app-key / app-secret and this host's clock", problem);
                retry(exchange, problem);
            }
            case RETRY -> retry(exchange, NationalResponses.describe(what, exchange));
            case REFUSED -> {
                String problem = NationalResponses.describe(what, exchange);
                cases.receiptFailed(id(exchange), token(exchange), problem);
                LOG.error("Receipt of national case {} FAILED: {}", exchange.getProperty("hubNationalCaseNo"), problem);
            }
        }
        MDC.remove("ticketId");
    }

    /** From routes/error-handling.yaml (national-errors): timeouts and connection errors. */
    public void onException(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (exchange.getProperty("hubNationalCaseId") == null) {
            LOG.error("A national receipt failed before its row was read; it is taken again after its lease", e);
            return;
        }
        if (e instanceof ClaimLost) {
            LOG.warn("Receipt of national case {}: {}", exchange.getProperty("hubNationalCaseNo"), e.getMessage());
            return;
        }
        retry(exchange, "the national platform is not reachable: " + (e == null ? "unknown error" : e.getClass().getSimpleName() + ": " + e.getMessage()));
        MDC.remove("ticketId");
    }

    private void retry(Exchange exchange, String error) {
        int attempts = exchange.getProperty("hubAttempts", 0, Integer.class) + 1;
        Duration delay = props.receiptRetry().delayAfter(attempts);
        cases.receiptRetry(id(exchange), token(exchange), Instant.now().plus(delay), error);
        LOG.warn("Receipt of national case {} not signed (attempt {}): {}; next attempt in {}", exchange.getProperty("hubNationalCaseNo"),
                attempts, error, delay);
    }

    private static long id(Exchange exchange) {
        return exchange.getProperty("hubNationalCaseId", Long.class);
    }

    private static UUID token(Exchange exchange) {
        return exchange.getProperty("hubClaimToken", UUID.class);
    }
}
