package example;

import java.util.Random;

import org.rmsprop4j.optim.RmsPropPreset;
import org.rmsprop4j.tribuo.TribuoOptimiser;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

public final class TribuoExample {
    public static void main(String[] args) {
        // two Gaussian blobs, labelled "left" and "right"
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("blobs", labels), labels);
        Random r = new Random(1);
        for (int i = 0; i < 400; i++) {
            boolean left = i % 2 == 0;
            data.add(new ArrayExample<>(new Label(left ? "left" : "right"), new String[] {"x", "y"},
                    new double[] {r.nextGaussian() + (left ? -1.5 : 1.5), r.nextGaussian()}));
        }
        // Graves' centered RMSprop with momentum, in any Tribuo SGD trainer
        TribuoOptimiser optimiser = TribuoOptimiser.of(RmsPropPreset.GRAVES.config().withLearningRate(0.01));
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), optimiser, 5, 42);
        LinearSGDModel model = trainer.train(data);
        System.out.printf("training accuracy %.3f%n", new LabelEvaluator().evaluate(model, data).accuracy());
        System.out.println(model.getProvenance().getTrainerProvenance());   // the whole optimizer configuration
    }
}
