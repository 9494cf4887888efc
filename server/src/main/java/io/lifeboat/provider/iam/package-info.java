/** IAM operations Backup needs: roles, trust and inline policies, AWS managed policies. */
package io.lifeboat.provider.iam;
