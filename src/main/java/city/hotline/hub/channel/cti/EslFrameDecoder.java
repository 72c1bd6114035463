package city.hotline.hub.channel.cti;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;

/**
 * Cuts FreeSWITCH's event-socket byte stream into {@link EslFrame}s: headers end at the first empty
 * line ({@code \n\n}); a {@code Content-Length} header announces a body of that many bytes, which may
 * arrive in later reads. Netty's own decoders frame by delimiter or by a binary length field, not by a
 * length inside text headers, hence this one. Stateful, so one per connection
 * ({@link Factory}, given to the netty endpoint's {@code decoders}).
 */
public class EslFrameDecoder extends ByteToMessageDecoder {

    /** Guards against a peer that never ends its headers or announces an absurd body. */
    static final int MAX_FRAME = 1 << 20;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            int start = in.readerIndex();
            int end = headerEnd(in, start);
            if (end < 0) {
                if (in.readableBytes() > MAX_FRAME) {
                    throw new TooLongFrameException("event-socket headers longer than " + MAX_FRAME + " bytes");
                }
                return;
            }
            String head = in.toString(start, end - start, StandardCharsets.UTF_8);
            Map<String, String> headers = headers(head);
            int length = parseLength(headers.get("Content-Length"));
            int bodyStart = end + 2;
            if (in.writerIndex() - bodyStart < length) {
                return;
            }
            String body = length == 0 ? "" : in.toString(bodyStart, length, StandardCharsets.UTF_8);
            in.readerIndex(bodyStart + length);
            if (headers.isEmpty() && body.isEmpty()) {
                // a stray blank line between frames
                continue;
            }
            out.add(new EslFrame(headers, body));
        }
    }

    /** Index of the first "\n\n" at or after {@code from}, or -1. */
    private static int headerEnd(ByteBuf in, int from) {
        for (int i = from; i + 1 < in.writerIndex(); i++) {
            if (in.getByte(i) == '\n' && in.getByte(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int parseLength(String value) {
        if (value == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 0 || n > MAX_FRAME) {
                throw new TooLongFrameException("event-socket Content-Length " + n + " out of range");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new TooLongFrameException("event-socket Content-Length is not a number: " + value);
        }
    }

    /** "Name: value" lines; the envelope's values are taken as they are (only event bodies are URL-encoded). */
    static Map<String, String> headers(String block) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : block.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return out;
    }

    /** A new decoder for each connection (the netty endpoint's {@code decoders=#eslFrameDecoder}). */
    @ChannelHandler.Sharable
    public static class Factory extends DefaultChannelHandlerFactory {
        @Override
        public ChannelHandler newChannelHandler() {
            return new EslFrameDecoder();
        }
    }
}
