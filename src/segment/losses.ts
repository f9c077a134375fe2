import * as tf from '@tensorflow/tfjs';

/**
 * Binary cross-entropy plus soft Dice loss over the output channels (Milletari et al. 2016,
 * "V-Net", 3DV, eq. 1, with +1 smoothing): BCE drives every pixel, Dice counters the class
 * imbalance of thin structures such as the wall. `truth` and `predicted` are
 * `[batch, H, W, channels]`, predicted already through the sigmoid.
 */
export function segmentationLoss(truth: tf.Tensor, predicted: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const c = predicted.shape[predicted.shape.length - 1] ?? 1;
    const p = tf.clipByValue(predicted, 1e-7, 1 - 1e-7);
    const bce = tf.neg(
      tf.mean(tf.add(tf.mul(truth, tf.log(p)), tf.mul(tf.sub(1, truth), tf.log(tf.sub(1, p))))),
    );
    const y2 = tf.reshape(truth, [-1, c]);
    const p2 = tf.reshape(predicted, [-1, c]);
    const inter = tf.sum(tf.mul(y2, p2), 0);
    const denom = tf.add(tf.sum(y2, 0), tf.sum(p2, 0));
    const dice = tf.mean(tf.div(tf.add(tf.mul(inter, 2), 1), tf.add(denom, 1)));
    return tf.add<tf.Scalar>(bce, tf.sub(1, dice));
  });
}

/**
 * Per-channel pixel counts `[3, channels]` (rows: true positives, false positives, false
 * negatives) of predictions thresholded at 0.5.
 */
export function confusionCounts(truth: tf.Tensor, predicted: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const c = predicted.shape[predicted.shape.length - 1] ?? 1;
    const y = tf.reshape(truth, [-1, c]);
    const p = tf.cast(tf.greater(tf.reshape(predicted, [-1, c]), 0.5), 'float32');
    const tp = tf.sum(tf.mul(p, y), 0);
    const fp = tf.sum(tf.mul(p, tf.sub(1, y)), 0);
    const fn = tf.sum(tf.mul(tf.sub(1, p), y), 0);
    return tf.stack([tp, fp, fn]);
  });
}
