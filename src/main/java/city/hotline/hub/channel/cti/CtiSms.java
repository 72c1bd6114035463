package city.hotline.hub.channel.cti;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import city.hotline.hub.store.TicketStore;
import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.PermanentFailure;
import city.hotline.hub.ticket.TransientFailure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The phone channel's way back (route cti-reply): the statuses a caller must hear of (ACCEPTED with
 * the whole ticket number, REPLIED with the answer, CLOSED) go out as an SMS through an Aliyun-style
 * gateway ({@code SendSms}: template code, template parameters from mappings/sms-params.jsonata, phone
 * number, RPC signature: {@link AliyunSmsSignature}); on CLOSED a follow-up task (回访) goes to the
 * persistent queue {@code hub.cti.followups}. Other statuses are not sent (marked delivered, no SMS).
 * <p>
 * Gateway answers: {@code Code: OK} is delivered; flow control ({@code Throttling*},
 * {@code isv.*LIMIT_CONTROL}), HTTP 5xx, 408 and 429 are retried with the reply lane's back-off; any
 * other refusal (e.g. {@code isv.MOBILE_NUMBER_ILLEGAL}, a rejected number) is FAILED with the gateway's reason.
 */
@Component("ctiSms")
public class CtiSms {

    public static final Set<String> SMS_STATUSES = Set.of("ACCEPTED", "REPLIED", "CLOSED");
    private static final Logger LOG = LoggerFactory.getLogger(CtiSms.class);
    private static final DateTimeFormatter ALIYUN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final SmsProperties sms;
    private final TicketStore tickets;

    public CtiSms(SmsProperties sms, TicketStore tickets) {
        this.sms = sms;
        this.tickets = tickets;
    }

    /** The delivery's phone number and the mapping input {status, ticketId, reply, maxChars}. */
    public void prepare(Exchange exchange) {
        String status = exchange.getProperty("hubReplyStatus", String.class);
        String ticketId = exchange.getProperty("hubTicketId", String.class);
        exchange.setProperty("ctiSmsSkip", !SMS_STATUSES.contains(status));
        String target = exchange.getProperty("hubReplyTarget", String.class);
        JsonNode replyTarget = target == null ? Json.object() : Json.read(target);
        ObjectNode ticket = tickets.find(ticketId).orElse(Json.object());
        // the work order may have come without the number; the call record brings it later
        String phone = replyTarget.path("phone").asText(ticket.path("requester").path("phone").asText(""));
        exchange.setProperty("ctiPhone", phone);
        exchange.setProperty("ctiCallId", replyTarget.path("callId").asText(ticket.path("call").path("callId").asText("")));
        ObjectNode input = Json.object();
        input.put("status", status);
        input.put("ticketId", ticketId);
        input.put("reply", exchange.getProperty("hubReplyText", String.class));
        input.put("maxChars", sms.paramMaxChars());
        exchange.getMessage().setBody(Json.write(input));
    }

    /** The follow-up task for the call centre's outbound campaign; its answer comes back as ?action=followup. */
    public void followUp(Exchange exchange) {
        Message msg = exchange.getMessage();
        ObjectNode task = Json.object();
        task.put("type", "FOLLOW_UP_CALL");
        task.put("ticketId", exchange.getProperty("hubTicketId", String.class));
        task.put("callId", exchange.getProperty("ctiCallId", String.class));
        task.put("phone", exchange.getProperty("ctiPhone", String.class));
        task.put("closedAt", exchange.getProperty("hubReplyAt", String.class));
        task.put("reply", exchange.getProperty("hubReplyText", String.class));
        task.put("answerTo", "POST /channels/cti/events?action=followup {callId, key 1-5 | label}");
        msg.setBody(Json.write(task));
        msg.setHeader("ticketId", exchange.getProperty("hubTicketId", String.class));
        // a retried delivery (the SMS failed after the task was queued) puts no second task on the queue
        msg.setHeader("_AMQ_DUPL_ID", "cti-followup:" + exchange.getProperty("hubDeliveryId", Long.class));
        LOG.info("Follow-up call task for ticket {} (call {}) queued", exchange.getProperty("hubTicketId"), exchange.getProperty("ctiCallId"));
    }

    /** The signed SendSms request; the body is what sms-params.jsonata made: {"templateParam": {...}}. */
    public void request(Exchange exchange) {
        String phone = exchange.getProperty("ctiPhone", String.class);
        if (phone == null || phone.isBlank() || CallerNumbers.UNKNOWN.equals(phone)) {
            throw new PermanentFailure("the caller's number is unknown (withheld, and none in the work order); no SMS can be sent");
        }
        JsonNode mapped = Json.read(exchange.getMessage().getBody(String.class));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("AccessKeyId", sms.accessKey());
        params.put("Action", "SendSms");
        params.put("Format", "JSON");
        // Aliyun takes mainland numbers without +86
        params.put("PhoneNumbers", phone.startsWith("+86") ? phone.substring(3) : phone.replace("+", "00"));
        params.put("RegionId", sms.regionId());
        params.put("SignName", sms.signName() == null ? "" : sms.signName());
        params.put("SignatureMethod", "HMAC-SHA1");
        params.put("SignatureNonce", UUID.randomUUID().toString());
        params.put("SignatureVersion", "1.0");
        params.put("TemplateCode", sms.templateId());
        params.put("TemplateParam", Json.write(mapped.path("templateParam")));
        params.put("Timestamp", ALIYUN_TIME.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        params.put("Version", "2017-05-25");
        params.put("OutId", exchange.getProperty("hubTicketId", String.class));
        Message msg = exchange.getMessage();
        msg.removeHeaders("*");
        msg.setHeader(Exchange.HTTP_METHOD, "POST");
        msg.setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded; charset=UTF-8");
        msg.setBody(AliyunSmsSignature.signedForm("POST", params, sms.accessSecret()));
    }

    public void onResponse(Exchange exchange) {
        int http = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String text = exchange.getMessage().getBody(String.class);
        String code = "";
        String message = "";
        try {
            JsonNode answer = Json.read(text == null ? "" : text);
            code = answer.path("Code").asText("");
            message = answer.path("Message").asText("");
        } catch (IllegalArgumentException notJson) {
            // a proxy's error page: judged by the HTTP status alone
        }
        String said = "SMS gateway answered " + http + (code.isEmpty() ? "" : " " + code + " " + message);
        if (http >= 200 && http < 300 && "OK".equals(code)) {
            LOG.info("SMS for ticket {} ({}) accepted by the gateway", exchange.getProperty("hubTicketId"), exchange.getProperty("hubReplyStatus"));
            return;
        }
        if (code.startsWith("Throttling") || code.endsWith("LIMIT_CONTROL") || http >= 500 || http == 408 || http == 429
                || http == 0 || code.startsWith("ServiceUnavailable") || code.startsWith("InternalError")) {
            throw new TransientFailure(said);
        }
        throw new PermanentFailure(said);
    }
}
