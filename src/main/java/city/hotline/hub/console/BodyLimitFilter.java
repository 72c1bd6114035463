package city.hotline.hub.console;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first thing every request body meets (before the API key, before any route): a body over
 * {@code hub.intake.max-body-bytes} is answered 413 and not read. A declared {@code Content-Length}
 * over the limit is refused before a single body byte is read; a chunked body is read at most up to
 * the limit plus one byte (so memory per request is bounded by the limit), then refused. The
 * container closes the connection instead of swallowing the rest. Applies to the API and to the
 * channels' push endpoints (WeChat), so a huge CDATA or an expanded entity never reaches a parser.
 */
@Component
@Order(5)
public class BodyLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;

    public BodyLimitFilter(@Value("${hub.intake.max-body-bytes:1048576}") long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        return !("POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            tooLarge(response, declared + " bytes declared");
            return;
        }
        if (declared >= 0) {
            // the container never hands out more than the declared length
            chain.doFilter(request, response);
            return;
        }
        // chunked: read at most limit + 1 bytes, never the whole body
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (body.length > maxBytes) {
            tooLarge(response, "more than " + maxBytes + " bytes sent");
            return;
        }
        chain.doFilter(new ReadRequestBody(request, body, null), response);
    }

    private void tooLarge(HttpServletResponse response, String what) throws IOException {
        // tell the container not to drain the rest of a huge body: the connection is closed instead
        response.setHeader("Connection", "close");
        ReadRequestBody.refuse(response, 413, "request body too large (" + what + "); the limit is hub.intake.max-body-bytes = " + maxBytes);
        response.flushBuffer();
    }
}
