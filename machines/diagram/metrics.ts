/**
 * Text metrics shared by the layout (which reserves space) and the SVG renderer (which
 * draws in the same monospace font). Kept apart from the layout so rendering a stored
 * layout never pulls in the layout engine.
 */
export const FONT_SIZE = 12;
export const CHAR_WIDTH = FONT_SIZE * 0.6;
export const LINE_HEIGHT = 16;
