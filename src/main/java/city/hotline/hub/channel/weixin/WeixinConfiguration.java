package city.hotline.hub.channel.weixin;

import city.hotline.hub.store.ChannelStateStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the {@code weixin:} Camel component as the Spring bean {@code weixin} (Camel finds
 * components by bean name), configured from {@code hub.channels.weixin.*}: the credentials are set
 * on the component, so no endpoint URI carries a secret.
 */
@Configuration(proxyBeanMethods = false)
public class WeixinConfiguration {

    @Bean("weixin")
    public WeixinComponent weixin(WeixinProperties props, MeterRegistry meters, ChannelStateStore state,
                                  city.hotline.hub.store.ReplayGuardStore replayGuard) {
        WeixinComponent c = new WeixinComponent();
        c.setEnabled(props.enabled());
        c.setAppId(props.appId());
        c.setAppSecret(props.appSecret());
        c.setToken(props.token());
        c.setEncodingAesKey(props.encodingAesKey());
        c.setApiBaseUrl(props.apiBaseUrl());
        c.setTokenRefreshMargin(props.tokenRefreshMargin());
        c.setMeterRegistry(meters);
        c.setStateStore(state);
        c.setReplayGuard(replayGuard);
        return c;
    }
}
