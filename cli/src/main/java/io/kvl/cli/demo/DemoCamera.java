package io.kvl.cli.demo;

import io.kvl.schemas.VideoChunk;
import java.nio.file.Path;
import java.util.List;

/**
 * One simulated camera of the demo: a clip played from a start time.
 *
 * @param id camera id (record key)
 * @param clip the video file
 * @param chunks its keyframe-aligned chunks as events
 */
record DemoCamera(String id, Path clip, List<VideoChunk> chunks) {}
