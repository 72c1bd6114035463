package city.hotline.hub.console;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import city.hotline.hub.ticket.Json;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A request whose body a filter has already read (bounded) and checked: the routes behind it read
 * exactly these bytes again. Spring's ContentCachingRequestWrapper only keeps what the next reader
 * consumed, so it cannot hand the body on to a reader that comes after the check. Shared by the
 * body filters, which also share the JSON form of their refusals ({@link #refuse}).
 */
final class ReadRequestBody extends HttpServletRequestWrapper {

    private final byte[] body;
    private final String charset;

    /** @param charset the body's charset when the filter has established it, or null for the request's own */
    ReadRequestBody(HttpServletRequest request, byte[] body, String charset) {
        super(request);
        this.body = body;
        this.charset = charset;
    }

    /** Answers {@code {"status", "error"}} as the API's error handler does. */
    static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(Json.write(Map.of("status", status, "error", message)));
    }

    @Override
    public String getCharacterEncoding() {
        return charset != null ? charset : super.getCharacterEncoding();
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
        Charset cs;
        try {
            cs = getCharacterEncoding() == null ? StandardCharsets.UTF_8 : Charset.forName(getCharacterEncoding());
        } catch (RuntimeException e) {
            cs = StandardCharsets.UTF_8;
        }
        return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), cs));
    }

    @Override
    public ServletInputStream getInputStream() {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public boolean isFinished() {
                return in.available() == 0;
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
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }
        };
    }
}
