package city.hotline.hub.channel.national;

import java.time.Instant;

import city.hotline.hub.relay.ReplyOutcome;
import city.hotline.hub.store.TicketStore;
import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.PermanentFailure;
import city.hotline.hub.ticket.TransientFailure;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The national origin's lane of the reply outbox (route {@code national-feedback}, called by
 * {@code reply-lane-national}): when the case system closes the ticket, the feedback report
 * {@code POST {base}/cases/{caseNo}/feedback} goes out, its body made by
 * {@code mappings/national-feedback.jsonata} from {@code {"caseNo", "ticket", "status": {status, at,
 * atLocal, reply, handlingUnit}}}. Other statuses are not the platform's business: the delivery is
 * done without a call. The feedback waits for the case's receipt (a retry), so the province never
 * hears the result of a case the hub has not signed for.
 */
@Component("nationalFeedback")
public class NationalFeedback {

    private static final Logger LOG = LoggerFactory.getLogger(NationalFeedback.class);
    public static final String FEEDBACK = "hubNationalFeedback";

    private final ReplyOutcome outcome;
    private final TicketStore tickets;
    private final NationalCaseStore cases;

    public NationalFeedback(ReplyOutcome outcome, TicketStore tickets, NationalCaseStore cases) {
        this.outcome = outcome;
        this.tickets = tickets;
        this.cases = cases;
    }

    public void build(Exchange exchange) {
        String status = exchange.getProperty("hubReplyStatus", String.class);
        String caseNo = exchange.getProperty("hubReplyItemId", String.class);
        String ticketId = exchange.getProperty("hubTicketId", String.class);
        if (!"CLOSED".equals(status)) {
            exchange.setProperty(FEEDBACK, false);
            return;
        }
        String receipt = cases.receiptState(caseNo).orElse("UNKNOWN");
        if (!"SENT".equals(receipt)) {
            throw new TransientFailure("the receipt of case " + caseNo + " is not signed yet (" + receipt + "); the feedback waits for it");
        }
        ObjectNode input = Json.object();
        input.put("caseNo", caseNo);
        input.set("ticket", tickets.find(ticketId).orElseThrow(() -> new PermanentFailure("ticket " + ticketId + " not found")));
        ObjectNode s = input.putObject("status");
        s.put("status", status);
        String at = exchange.getProperty("hubReplyAt", String.class);
        s.put("at", at);
        s.put("atLocal", NationalRoutes.local(Instant.parse(at)));
        s.put("reply", exchange.getProperty("hubReplyText", String.class));
        s.put("handlingUnit", cases.handlingUnitOfDelivery(exchange.getProperty("hubDeliveryId", Long.class)).orElse(null));
        exchange.setProperty(FEEDBACK, true);
        exchange.setProperty(NationalRoutes.METHOD, "POST");
        exchange.setProperty(NationalRoutes.PATH, "/cases/" + NationalRoutes.caseSegment(caseNo) + "/feedback");
        exchange.getMessage().setBody(Json.write(input));
    }

    /** A status that is not reported to the platform: the delivery is done. */
    public void notSent(Exchange exchange) {
        LOG.info("Status {} of ticket {} is not reported to the national platform (only CLOSED is)", exchange.getProperty("hubReplyStatus"),
                exchange.getProperty("hubTicketId"));
        outcome.sent(exchange);
    }

    public void onResponse(Exchange exchange) {
        int status = NationalResponses.status(exchange);
        String caseNo = exchange.getProperty("hubReplyItemId", String.class);
        String what = "the feedback of case " + caseNo;
        switch (NationalResponses.kind(status)) {
            case OK -> {
                cases.feedbackSent(caseNo);
                outcome.sent(exchange);
            }
            case SIGNATURE_REFUSED -> {
                String problem = NationalResponses.describe(what, exchange);
                LOG.error("{}; check hub.channels.national.app-key / app-secret and this host's clock", problem);
                throw new TransientFailure(problem);
            }
            case RETRY -> throw new TransientFailure(NationalResponses.describe(what, exchange));
            case REFUSED -> throw new PermanentFailure(NationalResponses.describe(what, exchange));
        }
    }
}
