package io.kvl.efficientnet.spec;

import java.util.List;

/**
 * One stage of the B0 baseline before scaling, as in the official {@code blocks_args} strings
 * ({@code r1_k3_s11_e1_i32_o16_se0.25} ...).
 */
record BlockArgs(
        int repeats,
        int kernel,
        int stride,
        int expandRatio,
        int inputFilters,
        int outputFilters,
        double seRatio) {

    /** The seven MBConv stages of EfficientNet-B0 (Table 1 of the paper). */
    static final List<BlockArgs> B0 =
            List.of(
                    new BlockArgs(1, 3, 1, 1, 32, 16, 0.25),
                    new BlockArgs(2, 3, 2, 6, 16, 24, 0.25),
                    new BlockArgs(2, 5, 2, 6, 24, 40, 0.25),
                    new BlockArgs(3, 3, 2, 6, 40, 80, 0.25),
                    new BlockArgs(3, 5, 1, 6, 80, 112, 0.25),
                    new BlockArgs(4, 5, 2, 6, 112, 192, 0.25),
                    new BlockArgs(1, 3, 1, 6, 192, 320, 0.25));
}
