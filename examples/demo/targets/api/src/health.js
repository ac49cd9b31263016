/** Liveness answer for the load balancer. */
module.exports = function health() {
  return { ok: true };
};
