package io.kvl.efficientnet.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The concrete network of a {@link ModelVariant}: every layer's channels, kernel, stride and
 * spatial size, and the list of parameter tensors with their official names. It is the single
 * source of truth for the graph builder, the weight importers and the statistics.
 */
public final class Architecture {
    /** ImageNet-1k. */
    public static final int DEFAULT_CLASSES = 1000;

    /** Batch-norm epsilon of the official models. */
    public static final double BN_EPSILON = 1e-3;

    private static final int STEM_FILTERS = 32;
    private static final int HEAD_FILTERS = 1280;

    private final ModelVariant variant;
    private final int stemChannels;
    private final List<MbConvBlock> blocks;
    private final int headChannels;
    private final int headInputSize;
    private final int numClasses;

    private Architecture(ModelVariant variant, int numClasses) {
        this.variant = variant;
        this.numClasses = numClasses;
        double width = variant.widthMultiplier();
        boolean fixHeadStem = variant.lite();
        this.stemChannels =
                fixHeadStem ? STEM_FILTERS : CompoundScaling.roundFilters(STEM_FILTERS, width);
        this.headChannels =
                fixHeadStem ? HEAD_FILTERS : CompoundScaling.roundFilters(HEAD_FILTERS, width);

        List<MbConvBlock> list = new ArrayList<>();
        int channels = stemChannels;
        int size = MbConvBlock.ceilDiv(variant.resolution(), 2);
        List<BlockArgs> stages = BlockArgs.B0;
        for (int s = 0; s < stages.size(); s++) {
            BlockArgs args = stages.get(s);
            int in = CompoundScaling.roundFilters(args.inputFilters(), width);
            int out = CompoundScaling.roundFilters(args.outputFilters(), width);
            // Lite keeps the first and last stage at one repeat (fix_head_stem in the official
            // code).
            boolean fixedStage = fixHeadStem && (s == 0 || s == stages.size() - 1);
            int repeats =
                    fixedStage
                            ? args.repeats()
                            : CompoundScaling.roundRepeats(
                                    args.repeats(), variant.depthMultiplier());
            for (int r = 0; r < repeats; r++) {
                int argsIn = r == 0 ? in : out;
                int stride = r == 0 ? args.stride() : 1;
                int expanded = args.expandRatio() == 1 ? channels : argsIn * args.expandRatio();
                int se = variant.lite() ? 0 : Math.max(1, (int) (argsIn * args.seRatio()));
                MbConvBlock block =
                        new MbConvBlock(
                                list.size(),
                                channels,
                                expanded,
                                out,
                                args.kernel(),
                                stride,
                                se,
                                size);
                list.add(block);
                channels = out;
                size = block.outputSize();
            }
        }
        this.blocks = Collections.unmodifiableList(list);
        this.headInputSize = size;
    }

    public static Architecture of(ModelVariant variant) {
        return new Architecture(variant, DEFAULT_CLASSES);
    }

    public static Architecture of(ModelVariant variant, int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be positive");
        }
        return new Architecture(variant, numClasses);
    }

    public ModelVariant variant() {
        return variant;
    }

    public Activation activation() {
        return variant.lite() ? Activation.RELU6 : Activation.SWISH;
    }

    public int resolution() {
        return variant.resolution();
    }

    public int stemChannels() {
        return stemChannels;
    }

    public List<MbConvBlock> blocks() {
        return blocks;
    }

    public int headChannels() {
        return headChannels;
    }

    public int numClasses() {
        return numClasses;
    }

    public int lastBlockChannels() {
        return blocks.get(blocks.size() - 1).outputChannels();
    }

    /** Spatial size of the feature map entering the head. */
    public int headInputSize() {
        return headInputSize;
    }

    /** Every parameter tensor, in graph order, with official names and TensorFlow layouts. */
    public List<TensorSpec> parameters() {
        List<TensorSpec> p = new ArrayList<>();
        conv(p, "stem/conv2d", 3, 3, stemChannels);
        norm(p, "stem/tpu_batch_normalization", stemChannels);
        for (MbConvBlock b : blocks) {
            if (b.hasExpansion()) {
                conv(p, b.expandConv(), 1, b.inputChannels(), b.expandedChannels());
                norm(p, b.expandNorm(), b.expandedChannels());
            }
            long k = b.kernel();
            p.add(
                    new TensorSpec(
                            b.depthwiseConv() + "/depthwise_kernel",
                            new long[] {k, k, b.expandedChannels(), 1},
                            true));
            norm(p, b.depthwiseNorm(), b.expandedChannels());
            if (b.hasSqueezeExcitation()) {
                conv(p, b.seReduce(), 1, b.expandedChannels(), b.seChannels());
                bias(p, b.seReduce(), b.seChannels());
                conv(p, b.seExpand(), 1, b.seChannels(), b.expandedChannels());
                bias(p, b.seExpand(), b.expandedChannels());
            }
            conv(p, b.projectConv(), 1, b.expandedChannels(), b.outputChannels());
            norm(p, b.projectNorm(), b.outputChannels());
        }
        conv(p, "head/conv2d", 1, lastBlockChannels(), headChannels);
        norm(p, "head/tpu_batch_normalization", headChannels);
        p.add(new TensorSpec("head/dense/kernel", new long[] {headChannels, numClasses}, true));
        bias(p, "head/dense", numClasses);
        return Collections.unmodifiableList(p);
    }

    private static void conv(List<TensorSpec> p, String scope, long k, long in, long out) {
        p.add(new TensorSpec(scope + "/kernel", new long[] {k, k, in, out}, true));
    }

    private static void bias(List<TensorSpec> p, String scope, long n) {
        p.add(new TensorSpec(scope + "/bias", new long[] {n}, true));
    }

    private static void norm(List<TensorSpec> p, String scope, long n) {
        p.add(new TensorSpec(scope + "/gamma", new long[] {n}, true));
        p.add(new TensorSpec(scope + "/beta", new long[] {n}, true));
        p.add(new TensorSpec(scope + "/moving_mean", new long[] {n}, false));
        p.add(new TensorSpec(scope + "/moving_variance", new long[] {n}, false));
    }
}
