package city.hotline.hub.console;

import java.util.LinkedHashMap;
import java.util.Map;

import city.hotline.hub.ticket.HttpProblem;
import city.hotline.hub.ticket.Json;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/** Turns a failure in an HTTP route into a JSON answer that names the problem. */
@Component("apiErrors")
public class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    public void toResponse(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        int status;
        String message;
        if (e instanceof HttpProblem p) {
            status = p.status();
            message = p.getMessage();
            LOG.info("Refused {} {}: {} {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_URI), status, message);
        } else if (e instanceof city.hotline.hub.ticket.TransientFailure) {
            status = 503;
            message = e.getMessage();
            LOG.warn("Answered 503 to {}: {}", exchange.getMessage().getHeader(Exchange.HTTP_URI), message);
        } else if (e instanceof DataAccessException) {
            status = 503;
            message = "storage unavailable; nothing was stored, please retry";
            LOG.error("Storage failure while handling {}", exchange.getMessage().getHeader(Exchange.HTTP_URI), e);
        } else {
            status = 500;
            message = "internal error; nothing was stored, please retry";
            LOG.error("Unexpected failure while handling {}", exchange.getMessage().getHeader(Exchange.HTTP_URI), e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(Json.write(body));
    }
}
