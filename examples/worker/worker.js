// The worker: loads tfjs and tfjs-hadamrnn (which registers HadamRNN on this worker's tf), then the
// model from the artifacts the page sent, and predicts on cpu.
/* global tf */
self.onmessage = async ({ data }) => {
  try {
    importScripts(data.urls.tfUrl, data.urls.packageUrl);
    await tf.setBackend('cpu');
    const model = await tf.loadLayersModel(tf.io.fromMemory(data.artifacts));
    const predicted = Array.from(model.predict(tf.tensor3d(data.x, data.shape)).dataSync());
    self.postMessage({ className: model.layers[0].getClassName(), predicted });
  } catch (error) {
    self.postMessage({ error: error.message });
  }
};
