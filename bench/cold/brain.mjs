// Cold start for brain.js: require, build 784-128-10 (sizes set directly; it normally sizes itself on train), run one digit.
import { createRequire } from 'node:module';

const brain = createRequire(import.meta.url)('brain.js');
const net = new brain.NeuralNetwork({ hiddenLayers: [128], activation: 'relu' });
net.sizes = [784, 128, 10];
net.initialize();
const p = net.run(new Float32Array(784).fill(0.5));
if (p.length !== 10) process.exit(1);
