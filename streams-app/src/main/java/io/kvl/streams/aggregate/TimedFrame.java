package io.kvl.streams.aggregate;

import io.kvl.schemas.LabeledFrame;

/**
 * A labeled frame marked late or on time for the counting windows.
 *
 * @param frame the frame
 * @param late true when every window it belongs to has already closed
 * @param streamTimeMs the task's stream time when it was seen
 */
public record TimedFrame(LabeledFrame frame, boolean late, long streamTimeMs) {}
