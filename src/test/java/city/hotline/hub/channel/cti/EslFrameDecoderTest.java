package city.hotline.hub.channel.cti;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

/** The event socket's framing (fixture C-06): headers to the blank line, then Content-Length bytes of body. */
class EslFrameDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new EslFrameDecoder());

    @Test
    void framesWithoutBodyAndWithBodyInOneRead() {
        String body = "Event-Name: RECORD_STOP\nUnique-ID: abc\nRecord-File-Path: %2Ftmp%2F%E5%BD%95%E9%9F%B3.wav\n\n";
        write("Content-Type: auth/request\n\nContent-Type: command/reply\nReply-Text: +OK accepted\n\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\nContent-Type: text/event-plain\n\n" + body);
        EslFrame auth = channel.readInbound();
        EslFrame reply = channel.readInbound();
        EslFrame event = channel.readInbound();
        assertThat(auth.contentType()).isEqualTo("auth/request");
        assertThat(reply.replyText()).isEqualTo("+OK accepted");
        assertThat(event.body()).isEqualTo(body);
        assertThat(EslEvents.parse(event)).containsEntry("Record-File-Path", "/tmp/录音.wav").containsEntry("Unique-ID", "abc");
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void aBodySplitAcrossReadsWaitsForItsLastByte() {
        String body = "{\"Event-Name\":\"CHANNEL_HANGUP_COMPLETE\",\"Unique-ID\":\"u-1\",\"variable_cc_queue\":\"城管热线\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        write("Content-Length: " + bytes.length + "\nContent-Type: text/event-json\n\n");
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, 10));
        assertThat((Object) channel.readInbound()).isNull();
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, 10, bytes.length - 10));
        EslFrame event = channel.readInbound();
        assertThat(EslEvents.parse(event)).containsEntry("variable_cc_queue", "城管热线").containsEntry("Event-Name", "CHANNEL_HANGUP_COMPLETE");
    }

    @Test
    void anAbsurdContentLengthIsRefused() {
        assertThatThrownBy(() -> write("Content-Length: 999999999\nContent-Type: text/event-plain\n\n"))
                .isInstanceOf(DecoderException.class).hasMessageContaining("Content-Length");
    }

    private void write(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }
}
