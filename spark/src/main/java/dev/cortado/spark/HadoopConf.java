package dev.cortado.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration (Spark's, with every {@code spark.hadoop.*} setting), carried to the tasks so
 * that they reach the same file systems with the same settings. Hadoop's {@link Configuration} is written with its
 * own {@code write}/{@code readFields}, as Spark itself ships it.
 */
final class HadoopConf implements Serializable {
    private static final long serialVersionUID = 1L;

    private transient Configuration configuration;

    HadoopConf(Configuration configuration) {
        this.configuration = configuration;
    }

    Configuration get() {
        return configuration;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        configuration.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        configuration = new Configuration(false);
        configuration.readFields(in);
    }
}
