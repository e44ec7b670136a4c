// Dispatches are 2-D grids (x ≤ maxComputeWorkgroupsPerDimension): the linear index of a workgroup.
fn workgroup_index(wid: vec3u, nwg: vec3u) -> u32 {
  return wid.x + wid.y * nwg.x;
}
