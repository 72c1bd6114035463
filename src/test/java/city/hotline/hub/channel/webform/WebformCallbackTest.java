package city.hotline.hub.channel.webform;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import city.hotline.hub.ticket.PermanentFailure;
import org.junit.jupiter.api.Test;

class WebformCallbackTest {

    private final WebformCallback restricted = new WebformCallback(List.of("forms.example.gov.cn", "*.app.example.cn"));

    @Test
    void callbacksGoOnlyToTheConfiguredHosts() {
        assertThatCode(() -> restricted.checkHost("https://forms.example.gov.cn/cb/1")).doesNotThrowAnyException();
        assertThatCode(() -> restricted.checkHost("https://api.app.example.cn/cb/1")).doesNotThrowAnyException();
        assertThatThrownBy(() -> restricted.checkHost("http://169.254.169.254/latest/meta-data"))
                .isInstanceOf(PermanentFailure.class).hasMessageContaining("169.254.169.254 is not in hub.channels.webform.callback-hosts");
        assertThatThrownBy(() -> restricted.checkHost("https://forms.example.gov.cn.evil.com/cb")).isInstanceOf(PermanentFailure.class);
    }

    @Test
    void withoutAListAnyHostIsAllowedButAUrlWithoutAHostIsNot() {
        WebformCallback open = new WebformCallback(List.of());
        assertThatCode(() -> open.checkHost("http://localhost:9999/cb")).doesNotThrowAnyException();
        assertThatThrownBy(() -> open.checkHost("http:///nohost")).hasMessageContaining("no host");
    }
}
