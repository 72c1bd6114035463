package city.hotline.hub.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

/** Pointing the hub at real servers switches the embedded ones off. */
class EmbeddedServicesSwitchTest {

    @Test
    void aBrokerUrlSwitchesTheEmbeddedBrokerOff() {
        MockEnvironment env = new MockEnvironment().withProperty("spring.artemis.broker-url", "tcp://artemis:61616");
        new EmbeddedServicesEnvironment().postProcessEnvironment(env, new SpringApplication());
        assertThat(env.getProperty("spring.artemis.mode")).isEqualTo("native");
        assertThat(env.getProperty("spring.artemis.embedded.enabled")).isEqualTo("false");
    }

    @Test
    void withoutABrokerUrlTheEmbeddedBrokerRunsAndAnExplicitSettingStillWins() {
        MockEnvironment env = new MockEnvironment();
        new EmbeddedServicesEnvironment().postProcessEnvironment(env, new SpringApplication());
        assertThat(env.getProperty("spring.artemis.mode")).isEqualTo("embedded");
        assertThat(env.getProperty("spring.artemis.embedded.enabled")).isEqualTo("true");

        MockEnvironment explicit = new MockEnvironment().withProperty("spring.artemis.mode", "native");
        new EmbeddedServicesEnvironment().postProcessEnvironment(explicit, new SpringApplication());
        assertThat(explicit.getProperty("spring.artemis.mode")).isEqualTo("native");
    }

    @Test
    void aDatasourceUrlKeepsTheEmbeddedPostgresFromStarting() {
        new ApplicationContextRunner().withUserConfiguration(EmbeddedPostgresConfiguration.class)
                .withPropertyValues("spring.datasource.url=jdbc:postgresql://db.example:5432/hub")
                .run(context -> assertThat(context).doesNotHaveBean(io.zonky.test.db.postgres.embedded.EmbeddedPostgres.class)
                        .doesNotHaveBean(javax.sql.DataSource.class));
    }
}
