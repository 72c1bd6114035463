package city.hotline.hub.demo;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the {@code demo} profile (src/main/resources/application-demo.yml): how quickly the
 * stand-in case system answers, and the feeder that posts board messages through the web form intake.
 */
@ConfigurationProperties("hub.demo")
public record DemoProperties(/* pause before each status report of the stand-in case system */
                             @DefaultValue("3s") Duration statusDelay,
                             /* who the stand-in says handles the tickets */
                             @DefaultValue("A市12345热线演示办理单位") String handlingUnit,
                             /* how many citizen callbacks GET /demo/callbacks keeps */
                             @DefaultValue("50") int callbacksKept,
                             @DefaultValue Feeder feeder) {

    public record Feeder(@DefaultValue("false") boolean enabled,
                         @DefaultValue("classpath:demo/board-posts.csv") String posts,
                         /* after the hub has started */
                         @DefaultValue("2s") Duration initialDelay,
                         /* between two posts, so a newcomer can follow the log */
                         @DefaultValue("1s") Duration interval) {
    }
}
