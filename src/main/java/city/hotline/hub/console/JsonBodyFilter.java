package city.hotline.hub.console;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
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
            reject(response, 415, "Content-Type must be application/json, got '" + request.getContentType() + "'");
            return;
        }
        String charset = request.getCharacterEncoding();
        if (type.contains("charset=") && charset != null && !charset.equalsIgnoreCase("utf-8")) {
            reject(response, 415, "the body must be UTF-8, got charset " + charset);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(maxBytes + 1);
        if (body.length > maxBytes) {
            reject(response, 413, "request body is larger than " + maxBytes + " bytes");
            return;
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            reject(response, 400, "request body is not valid UTF-8");
            return;
        }
        chain.doFilter(new VerifiedBody(request, body), response);
    }

    private static void reject(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(city.hotline.hub.ticket.Json.write(java.util.Map.of("status", status, "error", message)));
    }

    /** The request with its body replaced by the bytes already read and checked. */
    private static final class VerifiedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        VerifiedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public String getCharacterEncoding() {
            return "UTF-8";
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        }

        @Override
        public ServletInputStream getInputStream() {
            InputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    try {
                        return in.available() == 0;
                    } catch (IOException e) {
                        return true;
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }

                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }
            };
        }
    }
}
