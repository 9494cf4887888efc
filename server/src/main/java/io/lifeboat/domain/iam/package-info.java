/** IAM roles, global per account, and the question Backup asks of them: may it assume this role. */
package io.lifeboat.domain.iam;
