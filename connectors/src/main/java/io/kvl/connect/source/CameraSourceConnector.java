package io.kvl.connect.source;

import io.kvl.connect.Version;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.util.ConnectorUtils;

/**
 * Reads camera streams (RTSP, HTTP(S), TCP, files) and writes keyframe-aligned VideoChunk records,
 * keyed by camera id. Cameras are split across tasks; see {@link CameraSourceTask}.
 */
public final class CameraSourceConnector extends SourceConnector {
    private Map<String, String> props;
    private CameraSourceConfig config;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        this.config = new CameraSourceConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CameraSourceTask.class;
    }

    /** One task per group of cameras: at most {@code tasks.max} tasks, none without a camera. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<String> cameras = config.getList(CameraSourceConfig.CAMERAS_CONFIG);
        int tasks = Math.min(maxTasks, cameras.size());
        List<Map<String, String>> configs = new ArrayList<>(tasks);
        for (List<String> group : ConnectorUtils.groupPartitions(cameras, tasks)) {
            Map<String, String> task = new HashMap<>(props);
            task.put(CameraSourceConfig.CAMERAS_CONFIG, String.join(",", group));
            configs.add(task);
        }
        return configs;
    }

    @Override
    public void stop() {
        // Nothing to release: the tasks own the cameras.
    }

    @Override
    public ConfigDef config() {
        return CameraSourceConfig.CONFIG_DEF;
    }

    /**
     * Supported: a record's offset says exactly where its camera continues (the next chunk of a
     * file; for a live camera, whatever comes next), so records and offsets committed in one
     * transaction never duplicate a chunk.
     */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /** Offsets may be reset or set through the REST API; their shape is checked. */
    @Override
    public boolean alterOffsets(
            Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        offsets.forEach(CameraOffsets::validate);
        return true;
    }
}
