package city.hotline.hub.routing;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hub.routing.*} (docs/routing.md).
 *
 * @param city          the hub's city, a division code (430100 = 长沙市); street names are resolved within it
 * @param divisions     folder of the division files (provinces, cities, areas, streets .csv)
 * @param urgencyRules  the urgency rules file
 * @param deadlines     per urgency level: a duration (2h) or 'N working-days'
 * @param taxonomy      the three-level category taxonomy (CSV)
 * @param categoryModel the category model file (CategoryModelTrainer)
 */
@ConfigurationProperties("hub.routing")
public record RoutingProperties(String city, String divisions, String urgencyRules, Map<String, String> deadlines,
                                String taxonomy, String categoryModel) {

    public RoutingProperties {
        city = city == null || city.isBlank() ? "430100" : city.trim();
        divisions = divisions == null ? "classpath:mappings/divisions" : divisions;
        urgencyRules = urgencyRules == null ? "classpath:mappings/urgency-rules.yaml" : urgencyRules;
        deadlines = deadlines == null || deadlines.isEmpty() ? Map.of("CRITICAL", "2h", "URGENT", "24h",
                "NORMAL", "7 working-days", "COMPLEX", "15 working-days") : deadlines;
        taxonomy = taxonomy == null ? "classpath:mappings/category/taxonomy.csv" : taxonomy;
        categoryModel = categoryModel == null ? "classpath:mappings/category/model.tsv.gz" : categoryModel;
    }
}
