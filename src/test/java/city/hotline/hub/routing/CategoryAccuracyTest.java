package city.hotline.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The shipped category model measured on the posts held out of its training (CategoryModelTrainer
 * writes them): {@code mvn -B -o test -Dtest=CategoryAccuracyTest} prints the figure in the README.
 */
class CategoryAccuracyTest {

    @Test
    void theTopLevelCategoryOfHeldOutPostsIsSuggestedWithTheMeasuredAccuracy() throws Exception {
        CategoryModel model = CategoryModel.load("classpath:mappings/category/model.tsv");
        List<CategoryModelTrainer.Post> held = CategoryModelTrainer.read(
                new File(getClass().getResource("/routing/category-holdout.csv").toURI()), "text", "label");

        double accuracy = CategoryModelTrainer.accuracy(model, held);

        System.out.printf("Category model: top-level accuracy %.3f on %d held-out posts%n", accuracy, held.size());
        assertThat(held).hasSize(99);
        // the measured figure (README: 0.838, 83 of 99); the target of 0.85 is not reached by this model
        assertThat(accuracy).isGreaterThanOrEqualTo(0.83);
    }

    @Test
    void theSuggestionNamesATaxonomyPathAndGoesDeeperOnlyWhenTheTextNamesALevel() {
        Taxonomy taxonomy = Taxonomy.load("classpath:mappings/category/taxonomy.csv");

        Taxonomy.Node top = taxonomy.refine("城乡建设", "路挖得稀烂");
        Taxonomy.Node deeper = taxonomy.refine("城乡建设", "施工围墙有安全隐患");

        assertThat(top.path()).containsExactly("城乡建设");
        assertThat(top.code()).isEqualTo("01");
        assertThat(deeper.path()).containsExactly("城乡建设", "安全生产", "安全隐患");
        assertThat(deeper.code()).isEqualTo("010103");
    }
}
