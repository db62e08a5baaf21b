package io.kvl.efficientnet.spec;

/**
 * Size and cost of an {@link Architecture}, counted as Keras counts them: total parameters include
 * the batch-norm moving statistics; trainable ones exclude them. Multiply-adds are those of the
 * convolutions, squeeze-excitation and classifier for one image (batch norm, activations and
 * pooling are not counted, as in the paper's FLOPs).
 *
 * @param totalParameters all parameters, batch-norm statistics included
 * @param trainableParameters parameters without batch-norm statistics
 * @param multiplyAdds multiply-accumulate operations for one image
 */
public record ModelStats(long totalParameters, long trainableParameters, long multiplyAdds) {

    public static ModelStats of(Architecture arch) {
        long total = 0;
        long trainable = 0;
        for (TensorSpec t : arch.parameters()) {
            total += t.size();
            if (t.trainable()) {
                trainable += t.size();
            }
        }
        return new ModelStats(total, trainable, multiplyAdds(arch));
    }

    private static long multiplyAdds(Architecture arch) {
        long stemOut = MbConvBlock.ceilDiv(arch.resolution(), 2);
        long macs = stemOut * stemOut * 3 * 3 * 3 * arch.stemChannels();
        for (MbConvBlock b : arch.blocks()) {
            long in = (long) b.inputSize() * b.inputSize();
            long out = (long) b.outputSize() * b.outputSize();
            if (b.hasExpansion()) {
                macs += in * b.inputChannels() * b.expandedChannels();
            }
            macs += out * b.kernel() * b.kernel() * b.expandedChannels();
            if (b.hasSqueezeExcitation()) {
                macs += 2L * b.expandedChannels() * b.seChannels();
            }
            macs += out * b.expandedChannels() * b.outputChannels();
        }
        long head = (long) arch.headInputSize() * arch.headInputSize();
        macs += head * arch.lastBlockChannels() * arch.headChannels();
        macs += (long) arch.headChannels() * arch.numClasses();
        return macs;
    }
}
