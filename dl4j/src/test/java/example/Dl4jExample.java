package example;

import java.io.File;
import java.io.IOException;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rmsprop4j.dl4j.Rmsprop4jUpdater;
import org.rmsprop4j.optim.RmsPropPreset;

public final class Dl4jExample {
    public static void main(String[] args) throws IOException {
        // y = 1 when x0 + x1 > 0: 256 random points, one-hot labels
        INDArray x = Nd4j.randn(42, new long[] {256, 2});
        INDArray positive = x.sum(1).gt(0).castTo(x.dataType());
        INDArray y = Nd4j.hstack(positive.rsub(1).reshape(256, 1), positive.reshape(256, 1));
        DataSet data = new DataSet(x, y);

        // the Keras flavour of RMSprop (ε inside the root, ρ 0.9), for every layer of the network
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7)
                .updater(Rmsprop4jUpdater.of(RmsPropPreset.KERAS.config().withLearningRate(0.01)))
                .list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(2).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (int i = 0; i < 100; i++) net.fit(data);
        System.out.printf("training accuracy %.3f%n", net.evaluate(new org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator(data)).accuracy());

        // configuration and optimizer state travel with the model
        File file = File.createTempFile("rmsprop4j-dl4j", ".zip");
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        System.out.println(restored.getLayerWiseConfigurations().getConf(0).getLayer());
        file.delete();
    }
}
