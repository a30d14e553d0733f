// What gives models their save method and layers their getConfig: the io module calls it when it is
// imported, and the main entry's model.save() imports this file alone on first use, so an app that only
// saves takes the save code (format writer, handlers, routers) and not the loading code.
import { registerSaver } from '../model/saver.js';
import { registerConfigWriter, type ConfigDict } from '../model/layer-config.js';
import { saveModel } from './save.js';
import { layerConfig } from './topology.js';

/** Registers model.save() and layer.getConfig() with the training core (idempotent). */
export function registerIo(): void {
  registerSaver(saveModel);
  registerConfigWriter((layer) => layerConfig(layer) as ConfigDict);
}
