/** What renders WebGL here, for labelling results (SwiftShader is software rendering on the CPU). */

/** The unmasked renderer string (WEBGL_debug_renderer_info), or the masked one, or 'none'. */
export function webglRenderer(): string {
  const gl = document.createElement('canvas').getContext('webgl');
  if (gl == null) {
    return 'none';
  }
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return renderer;
}

/** True when the renderer is SwiftShader (Chromium's CPU implementation of WebGL). */
export const isSoftwareRenderer = (renderer: string): boolean => /swiftshader/i.test(renderer);
