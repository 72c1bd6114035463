package city.hotline.hub.channel.weixin;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import city.hotline.hub.store.InboxStore;
import city.hotline.hub.store.QuarantineStore;
import city.hotline.hub.store.ReplayGuardStore;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores what the {@code weixin:} consumers emit, before WeChat or the mini-program gets its
 * answer: ticketable messages (text, image, voice, location) and form submissions go to the inbox
 * (mapping happens later, from the inbox), every citizen message opens the 48-hour window, events
 * and other message types are logged and counted only, unreadable authenticated pushes are
 * quarantined with the raw request.
 */
@Component("weixinInbox")
public class WeixinInbox {

    public static final String CHANNEL = "weixin";
    static final Set<String> TICKETED = Set.of("text", "image", "voice", "location");
    private static final Logger LOG = LoggerFactory.getLogger(WeixinInbox.class);

    private final InboxStore inbox;
    private final WeixinContacts contacts;
    private final QuarantineStore quarantine;
    private final TransactionTemplate tx;
    private final MeterRegistry meters;
    private final ReplayGuardStore seen;

    public WeixinInbox(InboxStore inbox, WeixinContacts contacts, QuarantineStore quarantine, TransactionTemplate tx, MeterRegistry meters,
                       ReplayGuardStore seen) {
        this.seen = seen;
        this.inbox = inbox;
        this.contacts = contacts;
        this.quarantine = quarantine;
        this.tx = tx;
        this.meters = meters;
    }

    /** From route weixin-push. */
    public void accept(Exchange exchange) {
        Message msg = exchange.getMessage();
        String appId = msg.getHeader(WeixinConstants.APP_ID, String.class);
        String rejected = msg.getHeader(WeixinConstants.REJECTED, String.class);
        if (rejected != null) {
            long id = quarantine.add(CHANNEL, QuarantineStore.Stage.INTAKE, null, null, "unreadable WeChat push: " + rejected,
                    msg.getBody(String.class));
            count("quarantined", "none");
            LOG.warn("Unreadable WeChat push quarantined as {}: {}", id, rejected);
            return;
        }
        store(appId, new WeixinMessage(Json.readObject(msg.getBody(String.class)),
                Boolean.TRUE.equals(msg.getHeader(WeixinConstants.ENCRYPTED, Boolean.class))));
    }

    /** Stores one checked message (also used by the quarantine replay). */
    void store(String appId, WeixinMessage m) {
        String type = m.msgType() == null ? "unknown" : m.msgType();
        if (m.isEvent()) {
            // WeChat pushes an unanswered event up to three times: stored and counted once, keyed on
            // FromUserName + CreateTime + Event (events have no MsgId)
            boolean first = seen.firstEvent(appId, String.valueOf(m.openId()), m.createTime() == null ? -1 : m.createTime(),
                    String.valueOf(m.event()), m.text("EventKey"));
            if (!first) {
                count("duplicate", type);
                LOG.info("WeChat event {} pushed again (WeChat retry); stored and counted once", m.event());
                return;
            }
            meters.counter("hub.weixin.events", "event", String.valueOf(m.event())).increment();
            count("event", type);
            LOG.info("WeChat event {} from a citizen; stored, not ticketed", m.event());
            return;
        }
        String itemId = m.itemId(appId);
        Instant at = messageTime(m);
        if (!TICKETED.contains(type)) {
            if (m.openId() != null) {
                contacts.messageReceived(appId, m.openId(), at);
            }
            count("ignored", type);
            LOG.info("WeChat {} message {} logged, not ticketed", type, itemId);
            return;
        }
        ObjectNode payload = Json.object();
        payload.put("source", "push");
        payload.set("message", m.fields());
        InboxStore.Receipt receipt = tx.execute(s -> {
            InboxStore.Receipt r = inbox.accept(CHANNEL, itemId, Json.write(payload));
            if (m.openId() != null) {
                contacts.messageReceived(appId, m.openId(), at);
            }
            return r;
        });
        count(receipt.duplicate() ? "duplicate" : "accepted", type);
        LOG.info("WeChat {} message {} stored as receipt {}{}", type, itemId, receipt.receiptId(),
                receipt.duplicate() ? " (WeChat retry, nothing new)" : "");
    }

    /** From route weixin-submissions: the mini-program gets the receipt. */
    public void acceptSubmission(Exchange exchange) {
        Message msg = exchange.getMessage();
        String itemId = msg.getHeader(WeixinConstants.ITEM_ID, String.class);
        InboxStore.Receipt receipt = inbox.accept(CHANNEL, itemId, msg.getBody(String.class));
        meters.counter("hub.weixin.submissions", "outcome", receipt.duplicate() ? "duplicate" : "accepted").increment();
        LOG.info("WeChat mini-program submission {} stored as receipt {}", itemId, receipt.receiptId());
        msg.removeHeaders("*");
        msg.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        msg.setHeader(Exchange.CONTENT_TYPE, "application/json");
        msg.setBody(Json.write(Map.of("receiptId", receipt.receiptId().toString(), "duplicate", receipt.duplicate())));
    }

    /** The citizen's CreateTime, but never in the future (a skewed clock must not stretch the window). */
    private static Instant messageTime(WeixinMessage m) {
        Instant now = Instant.now();
        Long created = m.createTime();
        if (created == null) {
            return now;
        }
        Instant at = Instant.ofEpochSecond(created);
        return at.isAfter(now) ? now : at;
    }

    private void count(String outcome, String type) {
        meters.counter("hub.weixin.pushes", "outcome", outcome, "type", type).increment();
    }
}
