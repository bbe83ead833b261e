import type * as desktop from './homeFolder';

/** In the web extension host there is no home folder: save dialogs start where the browser chooses. */
export const homeFolder: typeof desktop.homeFolder = () => undefined;
