/** STS GetCallerIdentity. */
package io.lifeboat.provider.sts;
