package city.hotline.hub.demo;

import java.time.Duration;
import java.time.Instant;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Profile;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;

/**
 * The demo's own timer (feeder posts, delayed status reports). Kept private instead of being a
 * TaskScheduler bean, so it never becomes the application's scheduler by accident.
 */
@Component
@Profile("demo")
public class DemoScheduler implements DisposableBean {

    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

    public DemoScheduler() {
        scheduler.setPoolSize(2);
        scheduler.setThreadNamePrefix("demo-");
        scheduler.setWaitForTasksToCompleteOnShutdown(false);
        scheduler.initialize();
    }

    public void after(Duration delay, Runnable task) {
        scheduler.schedule(task, Instant.now().plus(delay));
    }

    @Override
    public void destroy() {
        scheduler.shutdown();
    }
}
