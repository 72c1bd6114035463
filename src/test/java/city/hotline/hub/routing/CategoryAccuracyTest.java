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
        CategoryModel model = CategoryModel.load("classpath:mappings/category/model.tsv.gz");
        List<CategoryModelTrainer.Post> held = CategoryModelTrainer.read(
                new File(getClass().getResource("/routing/category-holdout.csv").toURI()), "text", "label");

        double accuracy = CategoryModelTrainer.accuracy(model, held);

        System.out.printf("Category model: top-level accuracy %.3f on %d held-out posts%n", accuracy, held.size());
        assertThat(held).hasSize(99);
        // the measured figure (README: 0.838, 83 of 99); the target of 0.85 is not reached by this model
        assertThat(accuracy).isGreaterThanOrEqualTo(0.83);
    }

    @Test
    void aTaxonomyNameInTheTextSpeaksForItsClassAndTheKeywordsSurviveTheModelFile() throws Exception {
        CategoryModel withKeyword = new CategoryModel();
        withKeyword.keyword("公共汽车", "城乡建设");
        CategoryModel without = new CategoryModel();
        for (CategoryModel m : List.of(withKeyword, without)) {
            m.learn("城乡建设", "公共汽车站台破损\n站台没有顶棚");
            m.learn("交通运输", "车票太贵\n车票涨价了");
        }
        String text = "公共汽车车票太贵\n车票涨价了";

        java.io.StringWriter file = new java.io.StringWriter();
        withKeyword.write(file);
        java.nio.file.Path tsv = java.nio.file.Files.createTempFile("category-model", ".tsv");
        java.nio.file.Files.writeString(tsv, file.toString());
        CategoryModel loaded = CategoryModel.load(tsv.toUri().toString());

        assertThat(without.suggest(text).label()).isEqualTo("交通运输");
        assertThat(withKeyword.suggest(text).label()).isEqualTo("城乡建设");
        assertThat(file.toString()).contains("keyword\t公共汽车\t城乡建设\n");
        assertThat(loaded.suggest(text).label()).isEqualTo("城乡建设");
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
