package city.hotline.hub.console;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every JSON body posted to {@code /api/**} is read here first, as bytes: JSON content type,
 * UTF-8 (strictly: a malformed sequence is a 400, never silently replaced), bounded size. The
 * routes behind then see exactly those bytes, so a webhook signature is checked over what the
 * sender signed. Hand-written because the servlet container's reader replaces bad bytes instead of
 * reporting them, and Camel's HTTP binding reads through it.
 */
@Component
@Order(20)
public class JsonBodyFilter extends OncePerRequestFilter {

    private final int maxBytes;

    public JsonBodyFilter(@Value("${hub.intake.max-body-bytes:1048576}") int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.startsWith("/api/") || !"POST".equals(request.getMethod()) || request.getContentLengthLong() == 0;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/json") && !type.matches("^application/[a-z.+-]*\\+json.*")) {
            ReadRequestBody.refuse(response, 415, "Content-Type must be application/json, got '" + request.getContentType() + "'");
            return;
        }
        String charset = request.getCharacterEncoding();
        if (type.contains("charset=") && charset != null && !charset.equalsIgnoreCase("utf-8")) {
            ReadRequestBody.refuse(response, 415, "the body must be UTF-8, got charset " + charset);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(maxBytes + 1);
        if (body.length > maxBytes) {
            ReadRequestBody.refuse(response, 413, "request body is larger than " + maxBytes + " bytes");
            return;
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            ReadRequestBody.refuse(response, 400, "request body is not valid UTF-8");
            return;
        }
        chain.doFilter(new ReadRequestBody(request, body, "UTF-8"), response);
    }
}
