package city.hotline.hub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class HotlineHubApplication {
    public static void main(String[] args) {
        SpringApplication.run(HotlineHubApplication.class, args);
    }
}
