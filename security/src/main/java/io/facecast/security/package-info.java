/**
 * The internal control plane's security, one place for all three processes.
 *
 * <ul>
 *   <li>{@link io.facecast.security.ClusterCa} creates the cluster CA and issues each process a certificate whose
 *       only name is its identity {@code spiffe://facecast/<role>/<id>} ({@link io.facecast.security.FleetIdentity});
 *       {@link io.facecast.security.CertsCommand} is the command line ({@code facecast certs init|issue|show}).</li>
 *   <li>{@link io.facecast.security.FleetTls} builds the internal servers (client certificate required) and the
 *       channels between processes (server identity verified instead of a host name).</li>
 *   <li>{@link io.facecast.security.FleetAuthorization} gates each internal service by the caller's role and puts
 *       the caller's identity in the call's context for finer checks.</li>
 * </ul>
 * The threat model these serve is docs/security.md.
 */
package io.facecast.security;
